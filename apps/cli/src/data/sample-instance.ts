/** An instance that fits a signature when there is no data: zeros, false, and `text` for strings. */
export function sampleInstance(inputs: { name: string; datatype: string; shape: number[] }[], text = 'example'): unknown {
  const one = (spec: { datatype: string; shape: number[] }): unknown => {
    const fill = spec.datatype === 'BYTES' ? text : spec.datatype === 'BOOL' ? false : 0;
    const build = (dims: number[]): unknown => (dims.length === 0 ? fill : Array.from({ length: dims[0] }, () => build(dims.slice(1))));
    return build(spec.shape.slice(1).map((d) => (d === -1 ? 1 : d)));
  };
  if (inputs.length === 1) return one(inputs[0]);
  return Object.fromEntries(inputs.map((spec) => [spec.name, one(spec)]));
}
