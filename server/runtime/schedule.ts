/**
 * A campaign's schedule: an optional start and end instant. Before its start customers cannot use
 * it yet; after its end nobody can. Every campaign kind stores the two as dates (or null) and reads
 * them through these helpers, so "not started" and "over" mean the same thing everywhere.
 */
import { z } from 'zod';
import type { FieldIssue } from '../../typings';
import { shanghaiMinute } from './shanghai';

/** An ISO instant with an offset (`2025-03-01T00:00:00+08:00`), or null for "none". */
export const instantOrNull = (what: string) =>
  z.iso.datetime({ offset: true, error: `${what}格式无效，例如 2025-03-01T10:00:00+08:00` }).nullable();

export interface Window {
  startsAt?: Date | string | null;
  endsAt?: Date | string | null;
}

const ms = (d: Date | string): number => new Date(d).getTime();

export const toDate = (iso: string | null | undefined): Date | null => (iso ? new Date(iso) : null);
export const isoOrNull = (d: Date | string | null | undefined): string | null => (d ? new Date(d).toISOString() : null);

export function notStarted(w: Window, now: Date): boolean {
  return !!w.startsAt && ms(w.startsAt) > now.getTime();
}

export function isOver(w: Window, now: Date): boolean {
  return !!w.endsAt && ms(w.endsAt) <= now.getTime();
}

/** 「3月1日 10:00 开始」 for people, in Shanghai time. */
export const startsText = (startsAt: Date | string): string => `${shanghaiMinute(new Date(startsAt))} 开始`;

/**
 * What is wrong with a new window: an end already past, or not after the start. `paths` name the
 * fields (`payload.startsAt`, …) the issues point at.
 */
export function windowIssues(w: { startsAt: Date | null; endsAt: Date | null }, now: Date, paths = { startsAt: 'payload.startsAt', endsAt: 'payload.endsAt' }): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (w.endsAt && w.endsAt.getTime() <= now.getTime()) issues.push({ path: paths.endsAt, message: '结束时间已经过去，请重新选择' });
  else if (w.startsAt && w.endsAt && w.endsAt.getTime() <= w.startsAt.getTime()) issues.push({ path: paths.endsAt, message: '结束时间须晚于开始时间' });
  return issues;
}

/** A start may only move while it is still ahead: once customers could use it, it has started. */
export function startChangeIssue(current: Date | string | null | undefined, next: Date | null, now: Date, path = 'payload.startsAt'): FieldIssue | null {
  if (current && ms(current) > now.getTime()) {
    if (next && next.getTime() < now.getTime() - 60_000) return { path, message: '开始时间已经过去，请重新选择' };
    return null;
  }
  const same = (current ? ms(current) : null) === (next ? next.getTime() : null);
  return same ? null : { path, message: '活动已经开始，开始时间不能再修改' };
}
