// What a platform hands the gateway to keep between runs: a partner OAuth refresh token rotates at every use, so the
// next run — on any worker — needs the latest one, not the one in the config file. Its own table, so it never enters a
// backup (backups copy canonical records and the listed side tables only) nor a cursor listing.
export const name = 'platform-credentials';

export const sql = `
CREATE TABLE platform_credentials (
  instance   text NOT NULL,
  name       text NOT NULL,
  value      text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (instance, name)
);
`;
