import { ModelsConfig } from '@app/config';
import { InstancePlan, machineLimits, planInstances, PlannedModel } from './instance-plan';
import { ModelVersion } from './model-version';
import { ModelFiles, ModelRepository, VersionFiles } from './repository/model-repository';
import { selectVersions } from './version-policy';

function planned(files: ModelFiles, vf: VersionFiles, config: ModelsConfig): PlannedModel {
  return {
    id: `${files.name}@${vf.version}`,
    instances: files.config.instances ?? config.defaultInstances,
    threads: files.config.threads ?? config.defaultThreads,
    bytes: vf.bytes,
  };
}

/** The instance plan of every version the repository's policies ask for (unreadable models are skipped). */
export async function planRepository(repository: ModelRepository, config: ModelsConfig): Promise<InstancePlan> {
  const versions: PlannedModel[] = [];
  for (const name of await repository.listModelNames()) {
    const files = await repository.read(name).catch(() => undefined);
    if (!files) continue; // reported when the model loads
    const wanted = selectVersions(files.versions.map((v) => v.version), files.config.versionPolicy);
    for (const vf of files.versions.filter((v) => wanted.includes(v.version))) versions.push(planned(files, vf, config));
  }
  return planInstances(versions, machineLimits(config.maxInstances));
}

/** Why one more version may not load next to those serving (the one it replaces excluded), if it may not. */
export function refusalToLoad(serving: ModelVersion[], files: ModelFiles, vf: VersionFiles, config: ModelsConfig): string | undefined {
  const current = serving.map((s) => ({ id: s.id, instances: s.plan.instances, threads: s.plan.threads, bytes: s.bytes }));
  return planInstances([...current, planned(files, vf, config)], machineLimits(config.maxInstances)).refusal;
}
