/**
 * Media routes (docs/plivo-api.md §15.7):
 *
 *   POST /Media/            multipart/form-data, field `file` (1–10 files, 2 MB each) → 200 {api_id, objects:[… status, status_code 201]}
 *   GET  /Media/            {api_id, meta, objects}
 *   GET  /Media/{media_id}/ the media object + api_id
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Ctx } from "../../context";
import { badRequest, notFound, paginate, send } from "../../http";
import { FILES, boundaryOf, parseMultipart, type MultipartBody } from "../../multipart";
import { PathId, pathParams } from "../../schemas";
import { defineResource } from "../registry";
import { MAX_UPLOAD_BYTES, MAX_UPLOAD_FILES, MediaBackend, type MediaRecord } from "./backend";

const MediaPath = z.object({ id: PathId });

export function mediaObject(m: MediaRecord): Record<string, unknown> {
  return {
    content_type: m.content_type,
    file_name: m.file_name,
    media_id: m.media_id,
    size: m.size,
    upload_time: m.upload_time,
    media_url: m.media_url,
    ...(m.message_uuid ? { message_uuid: m.message_uuid } : {}),
  };
}

function register(api: FastifyInstance, ctx: Ctx): void {
  const media = ctx.backends.media;

  // uploads only: the body limit leaves room for ten 2 MB files and the multipart framing
  api.addContentTypeParser("multipart/form-data", { parseAs: "buffer", bodyLimit: MAX_UPLOAD_FILES * MAX_UPLOAD_BYTES + 1024 * 1024 }, (req, body, done) => {
    try {
      done(null, parseMultipart(body as Buffer, boundaryOf(req.headers["content-type"])));
    } catch (e) {
      done(e as Error, undefined);
    }
  });

  api.post("/Media/", async (req, reply) => {
    const body = req.body as Partial<MultipartBody> | undefined;
    const files = body?.[FILES];
    if (!files) throw badRequest("media must be uploaded as multipart/form-data with one or more 'file' fields");
    const uploads = files.filter((f) => f.field === "file");
    const created = media.upload(uploads.map((f) => ({ filename: f.filename, contentType: f.contentType, data: f.data })));
    return send(reply, 200, { objects: created.map((m) => ({ ...mediaObject(m), status: "success", status_code: 201 })) });
  });

  api.get("/Media/", async (req, reply) => {
    const page = paginate(req, media.list());
    return send(reply, 200, { meta: page.meta, objects: page.objects.map(mediaObject) });
  });

  api.get("/Media/:id/", async (req, reply) => {
    const m = media.get(pathParams(MediaPath, req).id);
    if (!m) throw notFound();
    return send(reply, 200, mediaObject(m));
  });
}

export default defineResource({
  name: "media",
  mainOnly: "the Media API (the emulator does not model subaccount messaging yet)",
  setup(ctx) {
    (ctx.backends as { media: MediaBackend }).media = new MediaBackend(ctx);
  },
  routes: register,
});
