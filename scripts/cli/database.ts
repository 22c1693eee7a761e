import { connect } from "@/db/connect";

/** The CLI opens its own connection (refused by the PGlite lock while the app holds the data dir). */
export async function openCliDatabase() {
  const connection = connect();
  await connection.migrate();
  return connection;
}
