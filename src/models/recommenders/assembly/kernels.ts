// The models' other kernels (AssemblyScript), re-exported by the module's entry, als.ts: one module for a worker to load.
export * from './neighbours';
export * from './bought-with';
export * from '../../segmentation/assembly/segmentation';
