export { createReviewQueue, type ReviewQueue, type ReviewListQuery } from './queue.js';
export { reviewCauses, queueReason, type ReviewFacts, type ReviewPolicy } from './policy.js';
export * from './types.js';
