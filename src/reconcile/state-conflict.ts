/** Another writer changed the run between our read and our write: the caller reads again and re-applies. */
export class StateConflict extends Error {
  override name = 'StateConflict';
}
