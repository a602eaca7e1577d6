/**
 * A path parameter as the user typed it. openapi-fetch percent-encodes it
 * (encodeURIComponent), but an empty, `.` or `..` value would still address another route
 * (`/v1/contacts//block`, or a dot segment that URL parsing removes), so those are refused here.
 */
export function pathSegment(value: string, name: string): string {
  if (value === '' || value === '.' || value === '..') {
    throw new TypeError(`${name} must be a non-empty value other than "." and "..", got ${JSON.stringify(value)}`);
  }
  return value;
}
