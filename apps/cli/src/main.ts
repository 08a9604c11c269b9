import { Command, InvalidArgumentError, Option } from 'commander';
import { runAction } from './cli-error';
import { initModelCommand } from './init-model/init-model.command';
import { parseDurationSeconds, parseFraction, parsePositiveInt, parsePositiveNumber, parseRatePerMinute, parseUrl } from './options';
import { serveCommand } from './serve.command';
import { loadtestCommand } from './testing/loadtest.command';
import { KINDS, Kind, testCommand } from './testing/test.command';

const DEFAULT_URL = process.env.MODELGATE_URL ?? 'http://localhost:8080';

function parseKinds(text: string): Kind[] {
  const kinds = text.split(',').map((k) => k.trim()).filter(Boolean);
  const unknown = kinds.find((k) => !(KINDS as readonly string[]).includes(k));
  if (unknown || kinds.length === 0) throw new InvalidArgumentError(`--kinds takes some of ${KINDS.join(', ')}, got '${text}'`);
  return kinds as Kind[];
}

/** Options `test` and `loadtest` share: where the server is, and the shape of the load. */
function serverOptions(command: Command): Command {
  return command
    .addOption(new Option('--url <url>', 'the running server').default(DEFAULT_URL, '$MODELGATE_URL or http://localhost:8080').argParser(parseUrl))
    .addOption(new Option('--key <key>', 'API key with the predict scope (Authorization: Bearer)').env('MODELGATE_API_KEY'));
}

function loadOptions(command: Command, duration: string): Command {
  return command
    .addOption(new Option('--users <n>', 'open loop: simultaneous users').argParser(parsePositiveInt).default(10))
    .addOption(new Option('--rate <x/min>', 'open loop: calls per user: 600/min, 10/s, 36000/h').argParser(parseRatePerMinute).default(60, '60/min'))
    .addOption(new Option('--duration <d>', 'how long the load runs: 10s, 2m').argParser(parseDurationSeconds).default(parseDurationSeconds(duration), duration))
    .option('--concurrency <c>', 'closed loop instead: c requests always in flight (autocannon)', parsePositiveInt)
    .option('--slo-ms <ms>', 'p99 latency the load must stay under (default: model.json sloP99Ms)', parsePositiveNumber)
    .option('--max-error-rate <share>', 'share of load requests allowed to fail', parseFraction, 0)
    .option('--data <file>', 'rows (.jsonl or .csv); default: the hold-out file model.json names')
    .option('--json', 'print the result as JSON on stdout, no progress');
}

export function program(): Command {
  const cli = new Command('modelgate')
    .description('The modelgate model server: serve ONNX models, add one, and test it before it goes live.')
    .showHelpAfterError('(modelgate <command> --help for its options)')
    .configureOutput({ outputError: (text, write) => write(text.startsWith('error:') ? `modelgate: ${text}` : text) });
  cli.exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));

  cli
    .command('serve')
    .description('run the server, as npm start does (inference, queue processor and scheduler in one process)')
    .option('--port <port>', 'HTTP port (PORT)', parsePositiveInt)
    .option('--repository <dir>', 'model repository (MODEL_REPOSITORY)')
    .option('--workers <n>', 'server processes on the port, or auto (MODELGATE_SERVER_WORKERS)')
    .option('--redis-url <url>', 'Redis (REDIS_URL)')
    .action((flags) => serveCommand(flags).catch((error: Error) => {
      process.stderr.write(`modelgate: ${error.message}\n`);
      process.exit(1);
    }));

  cli
    .command('init-model')
    .description('add an ONNX file to the model repository, with a model.json from its own signature, validated as the server loads it')
    .argument('<file>', 'the .onnx file')
    .requiredOption('--name <name>', 'the model name (models/NAME/1/model.onnx)')
    .option('--labels <a,b,c>', 'class labels, in the order of the output')
    .option('--labels-file <file>', 'class labels, one a line (copied beside model.json)')
    .option('--output <name>', 'the [batch, classes] output the labels apply to (when there are several)')
    .option('--softmax', 'the output holds logits: apply softmax')
    .option('--description <text>', 'model.json description')
    .option('--repository <dir>', 'model repository (default: MODEL_REPOSITORY or models.repository)')
    .addOption(new Option('--url <url>', 'server URL for the printed curl line').default(DEFAULT_URL).argParser(parseUrl))
    .action((file: string, flags) => runAction(() => initModelCommand(file, flags)));

  loadOptions(serverOptions(cli.command('test')), '10s')
    .description('functional, statistical, error-handling and load tests of a served model; report.json and report.html; exit 1 when any fails')
    .argument('<model>', 'the model name on the server')
    .option('--report <dir>', 'where report.json and report.html go (default: modelgate-reports/<model>)')
    .option('--rows <n>', 'rows for the statistical test', parsePositiveInt, 1000)
    .addOption(new Option('--kinds <list>', `which kinds to run, comma-separated`).argParser(parseKinds).default([...KINDS], KINDS.join(',')))
    .option('--label-field <field>', 'the field holding the expected answer (default label, else expected)')
    .option('--min-accuracy <share>', 'functional accuracy required (default: model.json hold-out accuracy less its margin)', parseFraction)
    .option('--tolerance <x>', 'models without labels: largest absolute difference from the expected value', parsePositiveNumber, 1e-4)
    .option('--parallel <n>', 'requests in flight for the functional and statistical tests', parsePositiveInt, 16)
    .option('--batch <n>', 'instances per request in the functional test', parsePositiveInt, 16)
    .action((model: string, flags) => runAction(() => testCommand(model, flags)));

  loadOptions(serverOptions(cli.command('loadtest')), '30s')
    .description('the load test alone: open loop (--users --rate) or closed loop (--concurrency), with a live progress line')
    .argument('<model>', 'the model name on the server')
    .action((model: string, flags) => runAction(() => loadtestCommand(model, flags)));

  return cli;
}

void program().parseAsync(process.argv);
