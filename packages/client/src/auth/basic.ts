/**
 * `Authorization: Basic` value for a username and password. The credentials are UTF-8
 * encoded before base64 so that non-Latin-1 passwords work with btoa (no Buffer in browsers).
 */
export function basicAuthorization(username: string, password: string): string {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}
