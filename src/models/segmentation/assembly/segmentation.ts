// The segmentation models' kernels (AssemblyScript), re-exported into the models' module by ../../recommenders/assembly/kernels.ts.
export { silhouetteDistanceSums } from './silhouette';
export { kmeansAssign, kmeansCandidate, kmeansInertia } from './kmeans';
