// Kept for existing imports: the learning resolver is shared (src/connectors/learning-resolver.ts).
export { createLearningResolver, type LearningResolver } from '../learning-resolver.js';
