/** Named types for schema pieces that actors keep in their context. */
import type { z } from 'zod';
import type { metadataImage, metadataImageBroker, metadataImagePartition, metadataImageTopic } from './update-metadata.js';

export type MetadataImage = z.infer<typeof metadataImage>;
export type MetadataImageTopic = z.infer<typeof metadataImageTopic>;
export type MetadataImagePartition = z.infer<typeof metadataImagePartition>;
export type MetadataImageBroker = z.infer<typeof metadataImageBroker>;
