export { analyze, type AnalyzeOptions } from './analyze.js';
export { DETECTORS, supportedFrameworks, supportedLanguages } from './detectors/index.js';
export type { Cmd, Dep, Detection, Detector, FrameworkKind, FrameworkRule, LanguageInfo } from './detectors/index.js';
export { SERVICE_DEPENDENCIES } from './facts/services.js';
export { memoryTree, type MemoryFiles } from './tree/memory-tree.js';
export { diskTree } from './tree/disk-tree.js';
export { subTree } from './tree/sub-tree.js';
export { DEFAULT_TREE_LIMITS, type FileEntry, type FileTree, type ReadResult, type TreeLimits } from './tree/types.js';
