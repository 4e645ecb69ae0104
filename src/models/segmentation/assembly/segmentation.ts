// The segmentation models' kernels (AssemblyScript), re-exported by the models' module entry, ../../recommenders/assembly/als.ts.
export { silhouetteDistanceSums } from './silhouette';
export { kmeansAssign, kmeansCandidate, kmeansInertia } from './kmeans';
