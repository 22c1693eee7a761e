import { Download, File, FileArchive, FileAudio, FileImage, FileSpreadsheet, FileText, FileVideo, type LucideIcon } from "lucide-react";
import type { ConversationAttachment } from "@/lib/conversations/get-conversation";
import { formatBytes } from "./format";

/** A message's attachments: icon by type, name, size; a download when the content is stored. */
export function AttachmentList({ slug, messageId, attachments }: { slug: string; messageId: string; attachments: ConversationAttachment[] }) {
  // Inline images referenced by Content-ID are shown in the body, not listed.
  const listed = attachments.filter((a) => !(a.inline && a.contentId && a.contentType.startsWith("image/")));
  if (!listed.length) return null;
  return (
    <ul className="mt-3 flex flex-wrap gap-2" data-testid="attachments">
      {listed.map((a) => {
        const Icon = iconFor(a.contentType, a.filename);
        const name = a.filename || (a.inline ? "Inline part" : "Unnamed attachment");
        const body = (
          <>
            <span className="flex size-8 shrink-0 items-center justify-center rounded-md bg-sunken text-ink-muted">
              <Icon className="size-4" strokeWidth={1.75} />
            </span>
            <span className="min-w-0 flex-1">
              <span className="block truncate text-[13px] font-medium text-ink" title={name}>
                {name}
              </span>
              <span className="block text-[11px] text-ink-muted tabular-nums">
                {formatBytes(a.size)}
                {a.stored ? null : <span className="text-ink-faint"> · not stored yet</span>}
              </span>
            </span>
            {a.stored ? <Download className="size-3.5 shrink-0 text-ink-faint group-hover/att:text-ink" /> : null}
          </>
        );
        const className = "group/att flex w-[240px] items-center gap-2.5 rounded-lg border border-line bg-panel px-2.5 py-2";
        return (
          <li key={a.id} data-testid="attachment" data-stored={a.stored}>
            {a.stored ? (
              <a href={`/api/orgs/${slug}/messages/${messageId}/attachments/${a.id}`} download={name} className={`${className} transition-colors hover:border-line-strong hover:bg-hover/40`}>
                {body}
              </a>
            ) : (
              <div className={className} title="Too large to keep in Threadline so far: open it in the mailbox it came from.">
                {body}
              </div>
            )}
          </li>
        );
      })}
    </ul>
  );
}

function iconFor(type: string, filename: string | null): LucideIcon {
  const name = (filename ?? "").toLowerCase();
  if (type.startsWith("image/")) return FileImage;
  if (type.startsWith("audio/")) return FileAudio;
  if (type.startsWith("video/")) return FileVideo;
  if (/zip|compressed|tar|gzip|x-7z|rar/.test(type) || /\.(zip|gz|tgz|7z|rar)$/.test(name)) return FileArchive;
  if (/spreadsheet|excel|csv/.test(type) || /\.(xlsx?|csv|ods)$/.test(name)) return FileSpreadsheet;
  if (type.startsWith("text/") || /pdf|word|document|rtf/.test(type) || /\.(pdf|docx?|txt|md|rtf|odt)$/.test(name)) return FileText;
  return File;
}
