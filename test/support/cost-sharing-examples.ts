/**
 * domain.md §4's worked examples, written once for every spec that checks them (the splitter's
 * own spec and the cost-sharing plan's).
 */

/**
 * Example A: a six-storey stairwell, two 60 m² units a floor (101 ... 602), an elevator whose
 * residents share 400,000.00 by floor coefficient × area (R-CS3): floors 1-2 = 0, 3 = 0.7,
 * 4 = 0.8, 5 = 0.9, 6 = 1.0.
 */
export const EXAMPLE_A = {
  totalFen: 40_000_000n,
  unitArea: '60.00',
  coefficients: { '1': '0', '2': '0', '3': '0.7', '4': '0.8', '5': '0.9', '6': '1.0' } as Record<string, string>,
  sharesByUnit: {
    101: '0.00',
    102: '0.00',
    201: '0.00',
    202: '0.00',
    301: '41176.47',
    302: '41176.47',
    401: '47058.82',
    402: '47058.82',
    501: '52941.18',
    502: '52941.18',
    601: '58823.53',
    602: '58823.53',
  } as Record<string, string>,
};

/** The units of Example A's stairwell with their floors, in id order. */
export const EXAMPLE_A_UNITS = [1, 2, 3, 4, 5, 6].flatMap((floor) =>
  [1, 2].map((door) => ({ householdId: `${floor}0${door}`, floor })),
);
