/**
 * Media backend (docs/plivo-api.md §15.7): files uploaded for MMS (`POST /Media/`) and the media of MMS messages
 * (`media_urls`, or uploads named by `media_ids`). The emulator keeps what the API shows about a file (name, type,
 * size, a SHA-256 of the content), not the content: the files themselves are served by Plivo's media host, which
 * the emulator does not play.
 */
import { createHash } from "node:crypto";
import type { Ctx } from "../../context";
import { badRequest, isoMicros, uuid } from "../../http";
import type { Table } from "../../store/table";

export interface MediaRecord {
  media_id: string;
  content_type: string;
  file_name: string;
  size: number;
  upload_time: string;
  media_url: string;
  /** the message it was first sent or received with; null for an upload not used yet */
  message_uuid: string | null;
  /** how it came: an upload, or a `media_urls` entry of a message (fetched by Plivo; the emulator does not) */
  source: "upload" | "url";
  /** the `media_urls` entry it came from */
  source_url?: string;
  sha256?: string;
}

export interface UploadFile {
  filename: string;
  contentType: string;
  data: Buffer;
}

/** "Plivo supports up to 10 attachments in an upload … with a maximum of 2MB per attachment." */
export const MAX_UPLOAD_FILES = 10;
export const MAX_UPLOAD_BYTES = 2 * 1024 * 1024;
/** The content types the docs list (JPG, PNG, MP4, GIF, PDF, text) and their usual spellings. */
export const UPLOAD_TYPES = ["image/jpeg", "image/jpg", "image/png", "image/gif", "video/mp4", "application/pdf", "text/plain"] as const;

const BY_EXTENSION: Record<string, string> = {
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  gif: "image/gif",
  mp4: "video/mp4",
  pdf: "application/pdf",
  txt: "text/plain",
  vcf: "text/vcard",
  mp3: "audio/mpeg",
};

export function contentTypeOfUrl(url: string): string {
  const ext = /\.([a-z0-9]+)$/i.exec(new URL(url).pathname)?.[1]?.toLowerCase();
  return (ext && BY_EXTENSION[ext]) || "application/octet-stream";
}

declare module "../../context" {
  interface Backends {
    media: MediaBackend;
  }
}

export class MediaBackend {
  readonly media: Table<MediaRecord>;

  constructor(private readonly ctx: Ctx) {
    this.media = ctx.store.table<MediaRecord>("media", (m) => m.media_id);
  }

  get(id: string): MediaRecord | undefined {
    return this.media.get(id);
  }

  list(): MediaRecord[] {
    return this.media.all();
  }

  private url(suffix: string): string {
    return `https://media.plivo.com/Account/${this.ctx.authId}/${suffix}`;
  }

  /** Store uploads (all or nothing): at most 10 files of at most 2 MB, of the accepted types. */
  upload(files: UploadFile[]): MediaRecord[] {
    if (files.length === 0) throw badRequest("file parameter is missing (send one or more files as multipart/form-data field 'file')");
    if (files.length > MAX_UPLOAD_FILES) throw badRequest(`file: at most ${MAX_UPLOAD_FILES} files per upload (got ${files.length})`);
    for (const f of files) {
      if (f.data.length > MAX_UPLOAD_BYTES) throw badRequest(`file ${f.filename}: larger than 2MB (${f.data.length} bytes)`);
      if (!(UPLOAD_TYPES as readonly string[]).includes(f.contentType)) {
        throw badRequest(`file ${f.filename}: content type ${f.contentType} is not accepted (${UPLOAD_TYPES.join(", ")})`);
      }
    }
    const now = isoMicros(this.ctx.now());
    return files.map((f) => {
      const media_id = uuid();
      const rec = this.media.insert({
        media_id,
        content_type: f.contentType === "image/jpg" ? "image/jpeg" : f.contentType,
        file_name: f.filename,
        size: f.data.length,
        upload_time: now,
        media_url: this.url(`Media/${media_id}`),
        message_uuid: null,
        source: "upload",
        sha256: createHash("sha256").update(f.data).digest("hex"),
      });
      this.ctx.record({ action: "upload", resource: "Media", id: media_id });
      return rec;
    });
  }

  /** 400 naming the first `media_ids` entry that is not an upload of this account. */
  checkIds(ids: readonly string[]): void {
    for (const id of ids) if (!this.media.has(id)) throw badRequest(`media_ids: ${id} is not a media of this account`);
  }

  /** The media of a message: `media_urls` become media records of the message, `media_ids` are linked to it. */
  attach(messageUuid: string, urls: readonly string[], ids: readonly string[]): string[] {
    const now = isoMicros(this.ctx.now());
    const out: string[] = [];
    for (const url of urls) {
      const media_id = uuid();
      this.media.insert({
        media_id,
        content_type: contentTypeOfUrl(url),
        file_name: decodeURIComponent(new URL(url).pathname.split("/").pop() || "media"),
        size: 0,
        upload_time: now,
        media_url: this.url(`Message/${messageUuid}/Media/${media_id}`),
        message_uuid: messageUuid,
        source: "url",
        source_url: url,
      });
      out.push(media_id);
    }
    for (const id of ids) {
      const m = this.media.get(id);
      if (m && m.message_uuid === null) this.media.edit(id)!.message_uuid = messageUuid;
      out.push(id);
    }
    return out;
  }
}
