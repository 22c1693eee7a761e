// Stand-ins for images the frame does not load, as data: URLs (the frame's CSP allows data: images).
const svg = (body: string) => `data:image/svg+xml;base64,${Buffer.from(body).toString("base64")}`;

/** A remote image the reader has not allowed: a light box with a crossed-out picture. */
export const BLOCKED_IMAGE_PLACEHOLDER = svg(
  `<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48" viewBox="0 0 48 48" preserveAspectRatio="xMidYMid meet"><rect width="48" height="48" rx="4" fill="#f1f1f3" stroke="#d4d4da"/><g fill="none" stroke="#8d8e97" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><rect x="15" y="16" width="18" height="15" rx="2"/><path d="m15 28 5-5 4 4 3-3 6 6"/><path d="M12 36 36 12"/></g></svg>`,
);

/** An inline part (cid:) that is missing or not stored. */
export const MISSING_IMAGE_PLACEHOLDER = svg(
  `<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48" viewBox="0 0 48 48"><rect width="48" height="48" rx="4" fill="#f1f1f3" stroke="#d4d4da" stroke-dasharray="3 3"/><g fill="none" stroke="#8d8e97" stroke-width="2" stroke-linecap="round"><rect x="15" y="16" width="18" height="15" rx="2"/><path d="m15 28 5-5 4 4 3-3 6 6"/></g></svg>`,
);
