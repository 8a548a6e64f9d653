/** The floor (an empty action) and one conditional stock decrement, through the gateway. */
import { call, load, say, type BenchServer } from '../harness';

export async function gatewayScenario({ base }: BenchServer, _baseline?: { emptyActionRps: number }): Promise<Record<string, number>> {
  await load(base, 'bench', { action: 'noop', payload: {} }, 8); // warm-up
  const empty = await load(base, 'bench', { action: 'noop', payload: {} }, 64);
  const stock = await load(base, 'bench', { action: 'stock.take', payload: { id: 'stock-1' } }, 64);
  const after = await call<{ data: { remaining: number } }>(base, 'bench', { action: 'stock.get', payload: { id: 'stock-1' } });
  const figures = {
    emptyActionRps: Math.round(empty.rps),
    emptyActionP50Ms: empty.p50,
    emptyActionP99Ms: empty.p99,
    stockDecrementRps: Math.round(stock.rps),
    stockDecrementRatio: Number((stock.rps / empty.rps).toFixed(3)),
    stockDecrementP50Ms: stock.p50,
    stockDecrementP99Ms: stock.p99,
    stockRemaining: after.data.remaining,
    stockTaken: 100_000 - after.data.remaining,
    gatewayErrors: empty.errors + stock.errors,
  };
  say(`empty action        ${figures.emptyActionRps} req/s   p50 ${empty.p50} ms   p99 ${empty.p99} ms`);
  say(`stock decrement     ${figures.stockDecrementRps} req/s   p50 ${stock.p50} ms   p99 ${stock.p99} ms   ratio ${figures.stockDecrementRatio}`);
  say(`stock taken         ${figures.stockTaken} by ${stock.requests} requests; errors ${figures.gatewayErrors}`);
  return figures;
}
