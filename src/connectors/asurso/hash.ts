// NetSchool's salted password hash (platforms.md §1.2 step 5) [V nm17, lentryd, netschoolpy]:
//   h   = md5_hex(password encoded as windows-1251)
//   pw2 = md5_hex(salt + h)
//   pw  = pw2 cut to the length of the plain password
import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';

const md5 = (data: string | Buffer) => createHash('md5').update(data).digest('hex');

/** `md5_hex(cp1251(password))` — what a client may store instead of the password (lentryd accepts it). */
export function passwordDigest(password: string): string {
  return md5(iconv.encode(password, 'win1251'));
}

/** The `pw`/`pw2` form fields of `POST login` for one `salt` from `auth/getdata`. */
export function loginHash(password: string, salt: string): { pw: string; pw2: string } {
  const pw2 = md5(salt + passwordDigest(password));
  return { pw2, pw: pw2.slice(0, password.length) };
}
