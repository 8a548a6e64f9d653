/** Small display helpers (no dayjs in the mini program: see STYLE.md). */

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `2025-03-08 14:05` in the phone's own time zone, from an ISO instant. */
export function formatDateTime(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  return `${formatDate(iso)} ${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/** `2025-03-08` in the phone's own time zone, from an ISO instant. */
export function formatDate(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/** A page query value; WeChat hands some of them over still URL-encoded (QR codes, shares). */
export function queryParam(query: Record<string, string | undefined> | undefined, key: string): string {
  const raw = query?.[key] ?? '';
  try {
    return decodeURIComponent(raw).trim();
  } catch {
    return raw.trim();
  }
}
