/**
 * During `pulumi preview`, inputs that depend on resources not created yet arrive as this sentinel
 * (`pulumi.runtime.unknownValue`). It must never be validated as a value nor sent to the API.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}
