/**
 * What `cluster up` does with one control request, decided from what it knows (is the cluster stopping,
 * does broker N exist, is it running): refuse with a one-line reason or act. And the one line it answers once
 * it acted. Pure, so every refusal and message is tested without processes; the supervisor executes.
 */
import type { ControlCommand, ControlReply, ControlRequest } from './cluster-control.js';

/** Broker 0 runs the controller too; there is one controller for now (the next step is a quorum). */
export const controllerBrokerId = 0;
export const controllerNote = `broker ${controllerBrokerId} is also the controller, which stays on that one broker for now: while it is down no leader is elected`;

export interface ControlView {
  stopping: boolean;
  brokerCount: number;
  /** Broker N as cluster up knows it; undefined when it has none with that id. */
  broker: { running: boolean; pid: number | undefined } | undefined;
}

export type ControlDecision = { refuse: ControlReply & { ok: false } } | { act: ControlCommand };

export function decideControl(request: ControlRequest, view: ControlView): ControlDecision {
  const { brokerId } = request;
  const refuse = (error: string): ControlDecision => ({ refuse: { ok: false, error } });
  if (view.stopping) return refuse('the cluster is stopping');
  if (view.broker === undefined) return refuse(`no broker ${brokerId} in this cluster (its brokers are 0..${view.brokerCount - 1})`);
  if (request.command === 'start') return view.broker.running ? refuse(`broker ${brokerId} is already running (pid ${view.broker.pid})`) : { act: 'start' };
  if (!view.broker.running) return refuse(`broker ${brokerId} is not running (kactor cluster start ${brokerId} starts it)`);
  return { act: request.command };
}

/** The line `cluster kill|stop|start` prints once cluster up did it; a broker 0 going down is said to stop elections. */
export function controlDoneMessage(command: ControlCommand, brokerId: number, pid: number | undefined): string {
  if (command === 'start') return `broker ${brokerId} started (pid ${pid})`;
  const controllerSuffix = brokerId === controllerBrokerId ? `; ${controllerNote} (kactor cluster start ${brokerId} brings it back)` : '';
  return command === 'kill' ? `broker ${brokerId} killed (pid ${pid})${controllerSuffix}` : `broker ${brokerId} stopped${controllerSuffix}`;
}
