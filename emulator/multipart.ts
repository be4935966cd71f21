/**
 * A small `multipart/form-data` reader for media uploads (`POST /Media/`, docs/plivo-api.md §15.7): the whole body
 * is in memory (the route's body limit bounds it), parts are split on the boundary, each part's headers give its
 * field name, file name and content type. Files are returned under the `FILES` symbol, so the request log and the
 * parameter checks see only the plain fields.
 */
import { ApiError } from "./http";

export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

export const FILES: unique symbol = Symbol("multipart files");

export type MultipartBody = Record<string, string> & { [FILES]: UploadedFile[] };

export function boundaryOf(contentType: string | undefined): string {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? "");
  const b = m?.[1] ?? m?.[2];
  if (!b) throw new ApiError(400, "multipart body without a boundary");
  return b;
}

export function parseMultipart(body: Buffer, boundary: string): MultipartBody {
  const out = {} as MultipartBody;
  out[FILES] = [];
  const delimiter = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw new ApiError(400, "multipart body does not contain its boundary");
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString() === "--") break; // closing delimiter
    if (body.subarray(pos, pos + 2).toString() === "\r\n") pos += 2;
    const next = body.indexOf(delimiter, pos);
    if (next < 0) throw new ApiError(400, "multipart body is truncated (no closing boundary)");
    const part = body.subarray(pos, next - 2); // the CRLF before the delimiter belongs to it
    const split = part.indexOf("\r\n\r\n");
    if (split < 0) throw new ApiError(400, "multipart part without headers");
    const headers = part.subarray(0, split).toString("utf8");
    const data = part.subarray(split + 4);
    const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? "";
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined) throw new ApiError(400, "multipart part without a field name");
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    if (filename !== undefined) {
      const contentType = /content-type:\s*([^\r\n;]+)/i.exec(headers)?.[1]?.trim().toLowerCase() ?? "application/octet-stream";
      out[FILES].push({ field: name, filename, contentType, data: Buffer.from(data) });
    } else {
      out[name] = data.toString("utf8");
    }
    pos = next;
  }
  return out;
}
