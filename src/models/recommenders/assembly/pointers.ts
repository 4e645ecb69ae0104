// AssemblyScript: byte offsets of array elements in the module's memory, shared by the models' kernels (inlined).

/** The byte offset of f64 `index` of the array at `p`. */
// @ts-ignore: decorator (AssemblyScript inlines the function)
@inline export function f64At(p: usize, index: i32): usize {
  return p + (<usize>index << 3);
}

/** The byte offset of i32 `index` of the array at `p`. */
// @ts-ignore: decorator
@inline export function i32At(p: usize, index: i32): usize {
  return p + (<usize>index << 2);
}
