import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '@app/access';
import { parseVersion, TritonExtensions } from '@app/protocols';
import { ApiErrorResponses, UNKNOWN_MODEL } from '../dto/api-error-responses';

const NOT_SERVING = { status: 503, description: 'The model has no available version (loading, unloaded): Retry-After' };

const CONFIG_EXAMPLE = {
  name: 'iris',
  platform: 'onnxruntime_onnx',
  backend: 'onnxruntime',
  version_policy: { latest: { num_versions: 1 } },
  max_batch_size: 64,
  input: [{ name: 'features', data_type: 'TYPE_FP32', dims: [4] }],
  output: [
    { name: 'probabilities', data_type: 'TYPE_FP32', dims: [3] },
    { name: 'label', data_type: 'TYPE_STRING', dims: [] },
  ],
  dynamic_batching: { preferred_batch_size: [64], max_queue_delay_microseconds: 2000 },
  instance_group: [{ name: 'iris', kind: 'KIND_CPU', count: 1 }],
  default_model_filename: 'model.onnx',
};
const DURATION = { count: 12, ns: 3_400_000 };
const STATS_EXAMPLE = {
  model_stats: [
    {
      name: 'iris',
      version: '1',
      last_inference: 1764600000000,
      inference_count: 24,
      execution_count: 5,
      inference_stats: Object.fromEntries(['success', 'fail', 'queue', 'compute_input', 'compute_infer', 'compute_output', 'cache_hit', 'cache_miss'].map((k) => [k, DURATION])),
      batch_stats: [{ batch_size: 2, compute_input: DURATION, compute_infer: DURATION, compute_output: DURATION }],
    },
  ],
};

/** Triton's model configuration and statistics extensions over REST (predict scope, like model metadata). */
@ApiTags('KServe V2')
@Controller('v2/models')
export class TritonExtensionsController {
  constructor(private readonly triton: TritonExtensions) {}

  @Get('stats')
  @RequireScope('predict')
  @ApiOperation({ summary: 'Statistics of every available model version (Triton statistics extension)' })
  @ApiOkResponse({ schema: { example: STATS_EXAMPLE } })
  allStatistics() {
    return this.triton.modelStatistics();
  }

  @Get(':name/config')
  @RequireScope('predict')
  @ApiOperation({ summary: 'Model configuration of the newest available version (Triton model configuration extension)' })
  @ApiParam({ name: 'name', example: 'iris' })
  @ApiOkResponse({ schema: { example: CONFIG_EXAMPLE } })
  @ApiErrorResponses(UNKNOWN_MODEL, NOT_SERVING)
  config(@Param('name') name: string) {
    return this.triton.modelConfig(name);
  }

  @Get(':name/versions/:version/config')
  @RequireScope('predict')
  @ApiOperation({ summary: 'Model configuration of one version' })
  @ApiParam({ name: 'name', example: 'iris' })
  @ApiParam({ name: 'version', example: '1' })
  @ApiOkResponse({ schema: { example: CONFIG_EXAMPLE } })
  @ApiErrorResponses(UNKNOWN_MODEL, NOT_SERVING)
  versionConfig(@Param('name') name: string, @Param('version') version: string) {
    return this.triton.modelConfig(name, parseVersion(version));
  }

  @Get(':name/stats')
  @RequireScope('predict')
  @ApiOperation({ summary: "Statistics of a model's available versions" })
  @ApiParam({ name: 'name', example: 'iris' })
  @ApiOkResponse({ schema: { example: STATS_EXAMPLE } })
  @ApiErrorResponses(UNKNOWN_MODEL)
  statistics(@Param('name') name: string) {
    return this.triton.modelStatistics(name);
  }

  @Get(':name/versions/:version/stats')
  @RequireScope('predict')
  @ApiOperation({ summary: 'Statistics of one version' })
  @ApiParam({ name: 'name', example: 'iris' })
  @ApiParam({ name: 'version', example: '1' })
  @ApiOkResponse({ schema: { example: STATS_EXAMPLE } })
  @ApiErrorResponses(UNKNOWN_MODEL, NOT_SERVING)
  versionStatistics(@Param('name') name: string, @Param('version') version: string) {
    return this.triton.modelStatistics(name, parseVersion(version));
  }
}
