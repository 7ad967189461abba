import { asWire, given, register, registered } from '../../support/project-fixtures';

describe('registering a project', () => {
  // "POST /api/projects: register {projectId, name, community, town, builtYear, buildingArea,
  // households} → 201" (product.md): the project stream starts with project-registered.v1.
  it('records project-registered with what the command said', () => {
    given().when(register()).then(registered());
  });

  // Rule: a project is registered once; registering it again is a conflict, not an update.
  it('refuses a second registration: project-exists (409, field projectId)', () => {
    given(registered()).when(register()).thenThrows('project-exists', 'projectId');
  });

  // Rule: "projectId must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit".
  it.each(['', '-TN2021', '.TN2021', 'TN 2021', 'TN/2021', '项目-17', 'x'.repeat(65)])(
    'refuses projectId %j: invalid-id',
    (projectId) => {
      given().when(register({ projectId })).thenThrows('invalid-id', 'projectId');
    },
  );

  it('accepts a projectId of exactly 64 characters', () => {
    const projectId = 'T'.repeat(64);
    given().when(register({ projectId })).then(registered({ projectId }));
  });

  // Rule: names are non-empty text of at most 200 characters; the building figures are real
  // numbers (a year between 1900 and 2100, a positive area, a positive whole number of households).
  it.each([
    ['name', { name: '   ' }],
    ['community', { community: '' }],
    ['town', { town: 'x'.repeat(201) }],
    ['builtYear', { builtYear: 1899 }],
    ['builtYear', { builtYear: 1998.5 }],
    ['buildingArea', { buildingArea: 0 }],
    ['buildingArea', { buildingArea: Number.NaN }],
    ['buildingArea', { buildingArea: asWire<number>('12000') }],
    ['households', { households: 0 }],
    ['households', { households: 12.5 }],
  ])('refuses a bad %s: invalid-field', (field, overrides) => {
    given().when(register(overrides)).thenThrows('invalid-field', field);
  });
});
