/**
 * One campaign kind as the admin tab sees it: a page of its campaigns as rows, one campaign with its
 * own view, its status changes and top-up (through the kind's own module, which audits them), and a
 * preview of what customers see. The tab's list merges the kinds; nothing here knows the others.
 */
import type { CampaignAbilities, CampaignCommand, CampaignDetail, CampaignPreview, CampaignRow, CampaignStatus, CampaignType } from '../../../typings';
import type { ActionContext } from '../../runtime/define';
import { isOver, notStarted, type Window } from '../../runtime/schedule';

/** A row before the caller's abilities and the labels are added. */
export interface Listed {
  row: Omit<CampaignRow, 'typeLabel' | 'statusLabel' | 'scheduleText' | 'can'>;
  /** It has stock that can be topped up (limited coupons, capped group-buys). */
  stock: boolean;
  /** Abilities the kind withholds whatever the status (a card batch still preparing cannot pause). */
  withheld?: (keyof CampaignAbilities)[];
}

export interface CampaignKind {
  type: CampaignType;
  /** At most `limit` campaigns created before `before` (all when null), newest first. */
  page(before: Date | null, limit: number, now: Date): Promise<Listed[]>;
  get(id: string, now: Date): Promise<{ listed: Listed; detail: CampaignDetail }>;
  command(ctx: ActionContext, id: string, command: CampaignCommand, reason: string | null): Promise<void>;
  topUp?(ctx: ActionContext, id: string, quantity: number): Promise<void>;
  preview(ctx: ActionContext, id: string): Promise<CampaignPreview>;
}

/** The shared reading of a stored status and a window. */
export function statusOf(stored: 'active' | 'paused' | 'ended', window: Window, now: Date): CampaignStatus {
  if (stored === 'ended' || isOver(window, now)) return 'ended';
  if (stored === 'paused') return 'paused';
  return notStarted(window, now) ? 'scheduled' : 'active';
}

/** The stored status a command asks for, in a kind's own words. */
export const TARGET: Record<CampaignCommand, 'active' | 'paused' | 'ended'> = { pause: 'paused', resume: 'active', end: 'ended' };

export const iso = (d: Date | string): string => new Date(d).toISOString();
export const count = (label: string, n: number | null, unlimited = '不限'): { label: string; value: string } => ({ label, value: n === null ? unlimited : String(n) });
