/**
 * Lab 17's realistic wrong answers: the right queries, read wrongly. Each is computed from the same seeded
 * feed as the truth, so it is wrong for every student, whatever their draw.
 */
import type { LabContext, Mistake } from '../api.ts';
import { query } from './solution.ts';

const means = async (ctx: LabContext) => [...(await query(ctx, 'SELECT mean(celsius) FROM room_temperature GROUP BY room'))].sort((a, b) => b.values[0]![1] - a.values[0]![1]);
const answer = (ctx: LabContext, room: string, peak: number) => ctx.writeFile(ctx.answersFile, `warmest_room: ${room}\npeak_celsius: ${peak}\n`);
const peak = async (ctx: LabContext) => (await query(ctx, 'SELECT max(celsius) FROM room_temperature'))[0]!.values[0]![1];

export const mistakes: Mistake[] = [
  {
    id: 'sorted-the-wrong-way',
    title: 'sorts the rooms by their mean the wrong way round and names the coldest',
    fails: ['warmest-room'],
    apply: async (ctx) => answer(ctx, (await means(ctx)).at(-1)!.tags!.room!, await peak(ctx)),
  },
  {
    id: 'mean-for-the-peak',
    title: "answers the highest room's mean temperature where the hour's peak was asked",
    fails: ['peak-temperature'],
    apply: async (ctx) => {
      const [warmest] = await means(ctx);
      await answer(ctx, warmest!.tags!.room!, Number(warmest!.values[0]![1].toFixed(2)));
    },
  },
  {
    id: 'peak-of-the-wrong-series',
    title: "reads the peak of one room (the coolest room's maximum) instead of over every room",
    fails: ['peak-temperature'],
    apply: async (ctx) => {
      const rooms = await query(ctx, 'SELECT max(celsius) FROM room_temperature GROUP BY room');
      const lowestMax = Math.min(...rooms.map((r) => r.values[0]![1]));
      await answer(ctx, (await means(ctx))[0]!.tags!.room!, lowestMax);
    },
  },
];
