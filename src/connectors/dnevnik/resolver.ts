// Moved to the shared src/connectors/learning-resolver.ts (ЭПОС needs the same); kept for imports.
export { createLearningResolver, type LearningResolver } from '../learning-resolver.js';
