import { CATEGORY_ITEMS } from '../../../src/project/renovation-content';
import { UTILITIES } from '../../../src/project/funding-sources';
import { addBudgetLine, asWire, budgetLine, given, registered } from '../../support/project-fixtures';

describe('adding a budget line', () => {
  // "A project's budget is a set of cost lines {lineId, category, item, utility?, estimatedCost}"
  // (product.md): each line adds its estimated cost to the budget total.
  it('records the line and the budget total after it', () => {
    given(registered(), budgetLine({ estimatedCost: '2000000.00' }))
      .when(addBudgetLine({ lineId: 'B3-gas-pipe', item: 'gas', utility: 'gas', estimatedCost: '600000.00' }))
      .then(
        budgetLine({
          lineId: 'B3-gas-pipe',
          item: 'gas',
          utility: 'gas',
          estimatedCost: '600000.00',
          budgetTotal: '2600000.00',
        }),
      );
  });
});

describe('budget-line-exists', () => {
  // Rule: a lineId names one line of the project; a line is added once.
  it('refuses a second line with the same lineId (409, field lineId)', () => {
    given(registered(), budgetLine())
      .when(addBudgetLine({ item: 'facade' }))
      .thenThrows('budget-line-exists', 'lineId');
  });

  it('refuses a malformed lineId: invalid-id', () => {
    given(registered())
      .when(addBudgetLine({ lineId: 'B 1' }))
      .thenThrows('invalid-id', 'lineId');
  });
});

describe('invalid-category', () => {
  // "Categories basic (基础类), improvement (完善类), enhancement (提升类)" (product.md).
  // 'toString' and 'constructor' are properties of every object, not categories.
  it.each(['luxury', 'Basic', '', 'toString', 'constructor', '__proto__'])(
    'refuses category %j (field category)',
    (category) => {
      given(registered())
        .when(addBudgetLine({ category, item: 'roof' }))
        .thenThrows('invalid-category', 'category');
    },
  );
});

describe('invalid-budget-item', () => {
  // "with the item codes in domain.md §3 (elevator and energy saving under improvement)" (product.md).
  it.each([
    ['basic', 'elevator'],
    ['improvement', 'roof'],
    ['enhancement', 'parking'],
    ['basic', 'toString'],
  ])('refuses %s / %s (field item)', (category, item) => {
    given(registered()).when(addBudgetLine({ category, item })).thenThrows('invalid-budget-item', 'item');
  });

  const everyItem = Object.entries(CATEGORY_ITEMS).flatMap(([category, items]) =>
    items.map((item) => [category, item] as const),
  );
  it.each(everyItem)('accepts %s / %s', (category, item) => {
    given(registered()).when(addBudgetLine({ category, item })).then(budgetLine({ category, item }));
  });
});

describe('invalid-utility', () => {
  // "`utility`: water, drainage, power, gas, telecom, postal, broadcast" (product.md, pipeline_unit).
  it.each(['sewage', 'Gas', ''])('refuses utility %j (field utility)', (utility) => {
    given(registered())
      .when(addBudgetLine({ item: 'gas', utility }))
      .thenThrows('invalid-utility', 'utility');
  });

  it.each([...UTILITIES])('accepts utility %s', (utility) => {
    given(registered())
      .when(addBudgetLine({ item: 'gas', utility }))
      .then(budgetLine({ item: 'gas', utility }));
  });
});

describe('the estimated cost', () => {
  // Money rule (product.md): a string with at most two decimals, greater than zero.
  it('refuses an estimatedCost sent as a JSON number: invalid-amount naming estimatedCost', () => {
    given(registered())
      .when(addBudgetLine({ estimatedCost: asWire<string>(2000000) }))
      .thenThrows('invalid-amount', 'estimatedCost');
  });

  it('refuses a zero estimatedCost', () => {
    given(registered())
      .when(addBudgetLine({ estimatedCost: '0.00' }))
      .thenThrows('invalid-amount', 'estimatedCost');
  });
});
