// Client-side checks that mirror the server's (the server stays the authority).

// The 等保 profile: at least 8 characters of at least 3 kinds.
export function passwordStrongEnough(p) {
  if (!p || p.length < 8) return false;
  let kinds = 0;
  if (/[a-z]/.test(p)) kinds++;
  if (/[A-Z]/.test(p)) kinds++;
  if (/[0-9]/.test(p)) kinds++;
  if (/[^A-Za-z0-9]/.test(p)) kinds++;
  return kinds >= 3;
}
