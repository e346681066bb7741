/** The telecom grid: which square cell of a given size (metres) a point falls in, as a stable id. */

/** Cell id of a point on the telecom grid of `size` metres (equirectangular; fine at Hunan's latitudes). */
export function cellOf(lng: number, lat: number, size: number): string {
  const x = Math.floor((lng * 111_320 * Math.cos((lat * Math.PI) / 180)) / size);
  const y = Math.floor((lat * 110_574) / size);
  return `CELL-${x}-${y}`;
}
