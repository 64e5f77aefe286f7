/**
 * @kactor/protocol: the wire contract shared by brokers and clients.
 */
export {};
