import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { writeWeights, type History, type RunInfo } from '../../artifacts';
import { requestedBackend, runThreads } from '../../backend-choice';
import { describeModel, signedPercent } from '../../graph';
import type { StageContext } from './context';
import { loadCheckedData } from './data';

const LONG_SECONDS = 300;

export async function runTrain(ctx: StageContext): Promise<void> {
  // Loaded here only: the other stages must not pay for loading TensorFlow.js.
  const { useBackend, train, makeProgress, duration, startWorkers } = require('../../train') as typeof import('../../train');
  const training = ctx.config.training;
  const backend = await useBackend(requestedBackend(training.backend), ctx.log);
  const threads = runThreads(training, ctx.config.model);
  // The other threads load TensorFlow.js while this one loads the data.
  startWorkers(threads, training['batch-size'], backend);
  const { loaded } = await loadCheckedData(ctx);
  const modelName = ctx.config.model.name ?? ctx.plan.pipeline;
  const { matched } = ctx;
  const several = ctx.stage.run !== undefined && ctx.stage.run.id !== 'default';
  const matchedText = (count: number) => (matched ? ` (matched to ${matched.model}: ${matched.params.toLocaleString('en-US')}, ${signedPercent(count, matched.params)})` : '');
  const expected = ctx.config.model.input.join('x');
  if (loaded.imageShape.join('x') !== expected) {
    throw new Error(`model -> input is [${ctx.config.model.input.join(', ')}] but the dataset's images are [${loaded.imageShape.join(', ')}] after its transforms`);
  }
  // For an idx source the classes are known only now, from its labels: before training, not as a shape error in it.
  const { output } = describeModel(ctx.config.model);
  if (output.length !== 1 || output[0] !== loaded.classes.length) {
    throw new Error(`the model outputs [${output.join(', ')}] but the dataset has ${loaded.classes.length} classes (${loaded.classes.slice(0, 5).join(', ')}${loaded.classes.length > 5 ? ', ...' : ''}): its last layer must output ${loaded.classes.length} logits`);
  }

  const parallel = Number(process.env.TRAINYARD_NX_PARALLEL ?? 1);
  const cores = availableParallelism();
  if (threads > 1 && threads * parallel > cores) {
    ctx.log(`note: Nx runs up to ${parallel} tasks at once and this run trains on ${threads} threads: more than the ${cores} cores; TRAINYARD_THREADS=1 trains each run on one`);
  }
  const probeCount = Math.min(ctx.config.evaluate['probe-size'], loaded.test.count);
  const result = await train({
    model: ctx.config.model,
    training,
    threads,
    classes: loaded.classes.length,
    train: loaded.train,
    validation: loaded.validation,
    probe: { ...loaded.test, count: probeCount },
    progress: makeProgress(),
    onStart: (summary) =>
      ctx.log(`training ${modelName}${several ? ` (run ${ctx.stage.run!.id}: ${ctx.stage.run!.label})` : ''}: ${summary.paramCount.toLocaleString('en-US')} parameters${matchedText(summary.paramCount)}, backend ${backend}, ${threads} thread${threads > 1 ? 's' : ''}, ${loaded.train.count} samples, batch ${training['batch-size']}, ${training.epochs} epoch${training.epochs === 1 ? '' : 's'}, seed ${training.seed}`),
    onEstimate: ({ seconds, samplesPerSecond, measured, after }) => {
      // A long training started by mistake is worth a hint at the quick profile.
      const hint = seconds > LONG_SECONDS && !ctx.overrides?.profile ? `; --configuration=quick (Nx) or --profile quick runs it in seconds` : '';
      ctx.log(`expected training time: about ${duration(seconds)} (${training.epochs} epoch${training.epochs === 1 ? '' : 's'} at ${Math.round(samplesPerSecond).toLocaleString('en-US')} samples/s, measured over ${measured} steps after the first ${after.toFixed(1)} s; validation not included)${hint}`);
    },
  });

  const info: RunInfo = {
    pipeline: ctx.plan.pipeline,
    run: ctx.stage.run?.id ?? 'default',
    ...(ctx.overrides && { overrides: ctx.overrides }),
    ...(several && { label: ctx.stage.run!.label, values: ctx.stage.run!.values }),
    model: modelName,
    backend,
    threads: result.threads,
    seed: training.seed,
    paramCount: result.summary.paramCount,
    ...(ctx.matched && { matched: ctx.matched }),
    status: result.status,
    epochsRun: result.history.length,
    reason: result.reason,
    restoredEpoch: result.restoredEpoch,
    seconds: result.seconds,
    layers: result.summary.layers.map((l) => ({ id: l.id, type: l.layer.type, output: l.outputShape, params: l.paramCount })),
    config: { dataset: ctx.config.dataset, model: ctx.config.model, training: ctx.config.training },
  };
  const history: History = { epochs: result.history };
  writeWeights(ctx.out, result.weights);
  writeFileSync(join(ctx.out, 'history.json'), JSON.stringify(history, null, 2) + '\n');
  writeFileSync(join(ctx.out, 'run.json'), JSON.stringify(info, null, 2) + '\n');
  writeFileSync(join(ctx.out, 'probe.json'), JSON.stringify(result.probe) + '\n');
  ctx.log(`trained in ${result.seconds.toFixed(1)}s: ${result.status}${result.reason ? ` (${result.reason})` : ''}`);
}
