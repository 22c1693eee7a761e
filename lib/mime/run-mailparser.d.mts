export type MailparserSettings = {
  timeoutMs: number;
  keepAttachmentBytes: number;
  keepAttachmentTotalBytes: number;
  maxHtmlLengthToParse: number;
};

/** An attachment part as mailparser described it; cleaned into a ParsedAttachment by parse-message.ts. */
export type RawAttachment = {
  contentType: string | null;
  contentDisposition: string | null;
  filename: string | null;
  cid: string | null;
  related: boolean;
  size: number;
  checksum: string;
  content: Buffer | null;
};

export const KEPT_HEADERS: ReadonlySet<string>;
export const KEPT_HEADER_LINES: ReadonlySet<string>;

export type RawParse = {
  // Only KEPT_HEADERS / KEPT_HEADER_LINES.
  headers: Map<string, unknown> | null;
  headerLines: { key: string; line: string }[];
  text: string | null;
  html: string | null;
  textConversionFailed: boolean;
  attachments: RawAttachment[];
  error: unknown;
};

export function runMailparser(source: Buffer, settings: MailparserSettings): Promise<RawParse>;
