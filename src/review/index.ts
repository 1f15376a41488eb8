export { createReviewQueue, type ReviewQueue, type ReviewListQuery, type ReviewPage } from './queue.js';
export { reviewCauses, queueReason, type ReviewFacts, type ReviewPolicy } from './policy.js';
export * from './types.js';
