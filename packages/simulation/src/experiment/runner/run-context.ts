/**
 * What every part of one run shares: the cluster, the trace, the run's random (every other random is a fork of it,
 * by a label that names its use, so adding a member never shifts another member's draws), and the client runtimes.
 */
import type { ClientRuntime } from '@kactor/client';
import { createIdGenerator, fork, type Logger, type Random } from '@kactor/runtime';
import { ProcessClock } from '../../process-clock.js';
import type { SimulatedCluster } from '../../simulated-cluster.js';
import type { Scenario } from '../model.js';
import type { PlantedBug } from './run-options.js';
import { RequestCounter } from './request-counter.js';
import type { TraceWriter } from './trace-writer.js';

/** A client process's runtime, with the process's own clock (halted when it is killed, paused when it is stopped). */
export interface ProcessRuntime extends ClientRuntime {
  readonly clock: ProcessClock;
}

export class RunContext {
  /** Request counters by client (a restarted member keeps counting on its own). */
  readonly requestCounters = new Map<string, RequestCounter>();

  constructor(
    readonly scenario: Scenario,
    readonly cluster: SimulatedCluster,
    readonly trace: TraceWriter,
    readonly random: Random,
    readonly logger: Logger,
    readonly plant: PlantedBug | undefined,
  ) {}

  /** A fork of the run's random for one purpose (`label` names it). */
  randomFor(label: string): Random {
    return fork(this.random, label);
  }

  /** The runtime of one incarnation of a client process on host `host`. */
  runtime(host: string, incarnation = 0): ProcessRuntime {
    const counter = this.requestCounters.get(host) ?? new RequestCounter();
    this.requestCounters.set(host, counter);
    const label = `${host}#${incarnation}`;
    return {
      clock: new ProcessClock(this.cluster.clock),
      random: this.randomFor(label),
      ids: createIdGenerator(this.randomFor(`${label}-ids`)),
      transport: counter.wrap(this.cluster.network.forHost(host)),
      logger: this.logger.child({ client: host }),
      urlScheme: 'memory',
    };
  }

  /** kill -9 of a client process: its timers stop, its connections are reset and nothing it still sends arrives. */
  killProcess(host: string, clock: ProcessClock): void {
    clock.halt();
    this.cluster.faults.isolate(host);
    this.cluster.network.disconnect(host);
  }

  /** Runs the simulated clock until `promise` settles (bounded in virtual time), then returns its outcome. */
  async settle<T>(promise: Promise<T>, description: string, maxVirtualMs = 120_000): Promise<T> {
    let settled = false;
    const done = (): void => {
      settled = true;
    };
    promise.then(done, done);
    await this.cluster.until(() => settled, description, maxVirtualMs);
    return promise;
  }

  /** A promise resolved after `delayMs` on a process's clock (never, when the process is killed first). */
  static sleep(clock: ProcessClock, delayMs: number): Promise<void> {
    return new Promise((resolve) => clock.setTimeout(resolve, delayMs));
  }
}
