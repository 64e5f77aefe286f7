/**
 * @kactor/protocol: the wire contract shared by brokers and clients.
 *
 * ```ts
 * const frame = encodeRequestFrame('metadata', 0, 1, { topics: null, allowAutoTopicCreation: false });
 * const decoded = decodeRequestFrame(frame, { maxFrameBytes: 104857600 });
 * if (decoded.ok && decoded.request.api === 'metadata') console.log(decoded.request.body.topics);
 * ```
 */
export * from './apis/index.js';
export * from './frame/index.js';
export * from './errors/index.js';
export * from './config/index.js';
export * from './hash/index.js';
export * from './records/index.js';
export * from './consumer-protocol/index.js';
export * from './group-records/index.js';
export * from './transaction-records/index.js';
