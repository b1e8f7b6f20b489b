// The reference a JavaScript developer would write first: each side an array of {price, size} objects kept
// sorted best first, findIndex to locate a level, splice to insert or delete. Only for the benchmark's ratio.

interface Level {
  price: number;
  size: number;
}

export class PlainJsBook {
  readonly bids: Level[] = [];
  readonly asks: Level[] = [];

  apply(bid: boolean, levels: Float64Array, count: number): void {
    const side = bid ? this.bids : this.asks;
    for (let i = 0; i < count; i++) {
      const price = levels[2 * i]!,
        size = levels[2 * i + 1]!;
      const at = side.findIndex((l) => (bid ? l.price <= price : l.price >= price));
      if (at >= 0 && side[at]!.price === price) {
        if (size === 0) side.splice(at, 1);
        else side[at]!.size = size;
      } else if (size !== 0) side.splice(at < 0 ? side.length : at, 0, { price, size });
    }
  }

  clear(): void {
    this.bids.length = 0;
    this.asks.length = 0;
  }
}
