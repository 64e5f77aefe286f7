/** Producer ids at a broker (KIP-730): the blocks from the controller, and InitProducerId without a transactional id. */
export { handleInitProducerId, initProducerIdRefusal, type InitProducerIdOptions } from './init-producer-id.js';
export { MAX_PRODUCER_ID_WAITERS, PRODUCER_ID_BLOCK_WAIT_MS, ProducerIdManager, type ProducerIdGenerator, type ProducerIdManagerOptions, type ProducerIdResult } from './producer-id-manager.js';
