/**
 * The communities of the demo district: Tongnan's three streets (梓潼街道, 桂林街道, 大佛街道) and
 * twenty towns (镇), with plausible old residential communities built 1985-2004 (domain.md §0:
 * mainly before 2000, and poor-condition communities up to 2005). The names are illustrative, not
 * a register of real projects. 凉风垭 is the seat of 梓潼街道, not a street office of its own: its
 * communities are 梓潼街道's.
 *
 * - `scale`: `town` (a market-town block, a few dozen to two hundred households), `street` (an
 *   urban block), `large` (a large estate whose investment reaches the 10,000,000.00 merged-FSR
 *   threshold).
 * - `batch`: the plan year the project belongs to (潼南府办发〔2021〕71号 一(三)): 2020, the earlier
 *   batch, started in 2020 and accepted in 2021 (the seed's "完成 77 个"); 2021, started in 2021
 *   and accepted in 2022 ("新开工 99 个", "2022 年…完成 99 个"); 2022, started in 2022 ("启动实施
 *   38 个") or still being prepared.
 * - `stage`: how far the project has got: `funded` (approved, money pledged, received and paid),
 *   `approved` (approved, no money yet), `pledged` (not approved, pledges only), `budgeted` (budget
 *   lines only), `registered` (registered only, the plan is still being drawn up), `earlier` (the
 *   earlier batch: approved in 2020 and done in 2021; its money went through the programme before
 *   the ledger, which records its life for the targets).
 * - `ownerUnit`: the original property-owning unit (原产权单位) of a former work-unit compound,
 *   which the plan asks to contribute (social_donation, donorKind original_owner_unit).
 * - `conditionJustification`: a community built after 2000 is in the seed's scope only for its
 *   poor living conditions (居住条件较差), which its registration states.
 */
export type CommunityScale = 'town' | 'street' | 'large';
export type DemoStage = 'funded' | 'approved' | 'pledged' | 'budgeted' | 'registered' | 'earlier';

export interface DemoCommunity {
  town: string;
  community: string;
  builtYear: number;
  scale: CommunityScale;
  batch: 2020 | 2021 | 2022;
  stage: DemoStage;
  ownerUnit?: string;
  conditionJustification?: string;
}

/** Why a community built 2001-2005 qualifies (seed 二(一): "居住条件较差"). */
const POOR_CONDITION = '房屋失养失修，给排水管网老化渗漏，无物业管理，居住条件较差';

/**
 * The earlier batch (TN2020-001 …): approved and started in 2020, accepted in 2021; ten of the
 * seed's 77, so that the demo stays quick to load (docs/internals.md, "The demo district loader").
 */
export const EARLIER_COMMUNITIES: readonly DemoCommunity[] = [
  { town: '梓潼街道', community: '正兴街片区', builtYear: 1989, scale: 'street', batch: 2020, stage: 'earlier' },
  { town: '梓潼街道', community: '原县百货公司宿舍', builtYear: 1986, scale: 'street', batch: 2020, stage: 'earlier' },
  { town: '桂林街道', community: '东升街小区', builtYear: 1992, scale: 'street', batch: 2020, stage: 'earlier' },
  { town: '桂林街道', community: '原县氮肥厂家属区', builtYear: 1985, scale: 'street', batch: 2020, stage: 'earlier' },
  { town: '大佛街道', community: '江北路居民楼', builtYear: 1993, scale: 'street', batch: 2020, stage: 'earlier' },
  { town: '双江镇', community: '双江正街居民楼', builtYear: 1988, scale: 'town', batch: 2020, stage: 'earlier' },
  { town: '柏梓镇', community: '柏梓老街集资楼', builtYear: 1991, scale: 'town', batch: 2020, stage: 'earlier' },
  { town: '崇龛镇', community: '崇龛场镇居民楼', builtYear: 1994, scale: 'town', batch: 2020, stage: 'earlier' },
  { town: '太安镇', community: '太安老街片区', builtYear: 1990, scale: 'town', batch: 2020, stage: 'earlier' },
  { town: '龙形镇', community: '龙形场镇滨河楼', builtYear: 1996, scale: 'town', batch: 2020, stage: 'earlier' },
];

export const DEMO_COMMUNITIES: readonly DemoCommunity[] = [
  // 2021 batch: TN2021-001 … TN2021-024
  { town: '梓潼街道', community: '建设路片区', builtYear: 1991, scale: 'street', batch: 2021, stage: 'funded' },
  {
    town: '梓潼街道',
    community: '原县粮食局职工宿舍',
    builtYear: 1986,
    scale: 'street',
    batch: 2021,
    stage: 'funded',
    ownerUnit: '原潼南县粮食局',
  },
  { town: '梓潼街道', community: '兴潼苑小区', builtYear: 1999, scale: 'large', batch: 2021, stage: 'funded' },
  { town: '桂林街道', community: '桂林路小区', builtYear: 1994, scale: 'street', batch: 2021, stage: 'funded' },
  {
    town: '桂林街道',
    community: '原县丝绸厂职工宿舍',
    builtYear: 1987,
    scale: 'street',
    batch: 2021,
    stage: 'funded',
    ownerUnit: '原潼南县丝绸厂',
  },
  { town: '大佛街道', community: '大佛路小区', builtYear: 1995, scale: 'street', batch: 2021, stage: 'funded' },
  { town: '大佛街道', community: '涪江花园', builtYear: 1998, scale: 'large', batch: 2021, stage: 'funded' },
  {
    town: '大佛街道',
    community: '原县水泥厂家属区',
    builtYear: 1985,
    scale: 'street',
    batch: 2021,
    stage: 'funded',
    ownerUnit: '原潼南县水泥厂',
  },
  { town: '梓潼街道', community: '凉风垭老街片区', builtYear: 1993, scale: 'street', batch: 2021, stage: 'funded' },
  {
    town: '梓潼街道',
    community: '原县农机公司宿舍',
    builtYear: 1990,
    scale: 'street',
    batch: 2021,
    stage: 'funded',
    ownerUnit: '原潼南县农机公司',
  },
  { town: '上和镇', community: '上和场镇老街居民楼', builtYear: 1992, scale: 'town', batch: 2021, stage: 'funded' },
  {
    town: '龙形镇',
    community: '原龙形供销社宿舍',
    builtYear: 1988,
    scale: 'town',
    batch: 2021,
    stage: 'funded',
    ownerUnit: '龙形供销合作社',
  },
  { town: '古溪镇', community: '古溪场镇滨河小区', builtYear: 1996, scale: 'town', batch: 2021, stage: 'funded' },
  {
    town: '宝龙镇',
    community: '原宝龙区公所宿舍',
    builtYear: 1986,
    scale: 'town',
    batch: 2021,
    stage: 'funded',
    ownerUnit: '宝龙镇人民政府',
  },
  {
    town: '玉溪镇',
    community: '玉溪镇卫生院职工宿舍',
    builtYear: 1994,
    scale: 'town',
    batch: 2021,
    stage: 'funded',
    ownerUnit: '玉溪镇卫生院',
  },
  { town: '米心镇', community: '米心场镇集资楼', builtYear: 1997, scale: 'town', batch: 2021, stage: 'funded' },
  {
    town: '群力镇',
    community: '群力镇政府家属院',
    builtYear: 1993,
    scale: 'town',
    batch: 2021,
    stage: 'funded',
    ownerUnit: '群力镇人民政府',
  },
  { town: '双江镇', community: '双江兴隆街居民楼', builtYear: 1990, scale: 'town', batch: 2021, stage: 'funded' },
  { town: '花岩镇', community: '花岩农贸市场片区', builtYear: 1995, scale: 'town', batch: 2021, stage: 'funded' },
  { town: '柏梓镇', community: '柏梓中心街小区', builtYear: 1999, scale: 'town', batch: 2021, stage: 'funded' },
  {
    town: '崇龛镇',
    community: '原崇龛粮站宿舍',
    builtYear: 1989,
    scale: 'town',
    batch: 2021,
    stage: 'funded',
    ownerUnit: '原崇龛粮站',
  },
  {
    town: '塘坝镇',
    community: '原塘坝信用社宿舍',
    builtYear: 1991,
    scale: 'town',
    batch: 2021,
    stage: 'funded',
    ownerUnit: '原塘坝信用社',
  },
  { town: '新胜镇', community: '新胜场镇老街', builtYear: 1987, scale: 'town', batch: 2021, stage: 'funded' },
  { town: '太安镇', community: '太安场镇安居楼', builtYear: 2000, scale: 'town', batch: 2021, stage: 'funded' },
  // 2022 batch: TN2022-001 … TN2022-012
  { town: '梓潼街道', community: '人民中路老旧住宅区', builtYear: 1988, scale: 'street', batch: 2022, stage: 'funded' },
  { town: '桂林街道', community: '南坝新村', builtYear: 1990, scale: 'street', batch: 2022, stage: 'funded' },
  { town: '梓潼街道', community: '金佛路小区', builtYear: 1997, scale: 'large', batch: 2022, stage: 'funded' },
  { town: '大佛街道', community: '定明山居民点', builtYear: 1989, scale: 'street', batch: 2022, stage: 'funded' },
  { town: '小渡镇', community: '小渡场镇滨江楼', builtYear: 1994, scale: 'town', batch: 2022, stage: 'funded' },
  {
    town: '卧佛镇',
    community: '原卧佛供销社宿舍',
    builtYear: 1988,
    scale: 'town',
    batch: 2022,
    stage: 'funded',
    ownerUnit: '卧佛供销合作社',
  },
  {
    town: '桂林街道',
    community: '北滨路住宅区',
    builtYear: 2002,
    scale: 'street',
    batch: 2022,
    stage: 'approved',
    conditionJustification: POOR_CONDITION,
  },
  { town: '五桂镇', community: '五桂场镇集资房', builtYear: 1998, scale: 'town', batch: 2022, stage: 'approved' },
  {
    town: '梓潼街道',
    community: '凉风垭新村',
    builtYear: 2003,
    scale: 'street',
    batch: 2022,
    stage: 'pledged',
    conditionJustification: POOR_CONDITION,
  },
  {
    town: '田家镇',
    community: '田家场镇中心小区',
    builtYear: 2004,
    scale: 'town',
    batch: 2022,
    stage: 'pledged',
    conditionJustification: POOR_CONDITION,
  },
  { town: '别口镇', community: '别口场镇老街', builtYear: 1992, scale: 'town', batch: 2022, stage: 'budgeted' },
  { town: '寿桥镇', community: '寿桥场镇居民楼', builtYear: 1996, scale: 'town', batch: 2022, stage: 'registered' },
];

/** Who pays for and who builds each utility's pipeline work. */
export const UTILITY_COMPANIES: Record<string, { payer: string; contractor: string }> = {
  water: { payer: '潼南区自来水有限公司', contractor: '重庆潼南供水工程安装有限公司' },
  drainage: { payer: '潼南区排水有限公司', contractor: '重庆琼江市政工程有限公司' },
  power: { payer: '国网重庆潼南供电公司', contractor: '重庆潼电电力工程有限公司' },
  gas: { payer: '潼南区天然气有限公司', contractor: '重庆潼燃燃气工程有限公司' },
  telecom: { payer: '中国电信潼南分公司', contractor: '重庆信通通信工程有限公司' },
  broadcast: { payer: '重庆有线潼南分公司', contractor: '重庆广信网络工程有限公司' },
  postal: { payer: '中国邮政潼南分公司', contractor: '重庆邮达工程有限公司' },
};

/** General contractors (施工总承包) the demo projects award their works to. */
export const CONTRACTORS: readonly string[] = [
  '重庆渝潼建设工程有限公司',
  '重庆涪江建筑安装工程有限公司',
  '重庆琼江建设集团有限公司',
  '重庆大佛建筑工程有限公司',
  '重庆双江古镇建设有限公司',
  '重庆潼城市政园林工程有限公司',
  '重庆桂林建筑劳务有限公司',
  '重庆凉风垭建设有限公司',
];

export const ELEVATOR_CONTRACTOR = '重庆西部电梯工程有限公司';
