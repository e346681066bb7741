/** The page's words in Chinese (first) and English. */
export const LANGS = ['zh-CN', 'en'] as const;
export type Lang = (typeof LANGS)[number];

const zh = {
  title: '湖南省疫情防控指挥平台',
  subtitle: '联防联控 · 态势总览',
  switchTo: 'English',
  persons: '登记人员',
  places: '场所',
  presence: '行程轨迹记录',
  cases: '病例',
  contacts: '管控接触者',
  mapTitle: '各市州病例分布',
  city: '市州',
  loading: '正在加载……',
  failed: '数据加载失败：',
  edition: '防控方案版本',
  engine: '数据库',
  docs: '接口文档',
  riskTitle: '中高风险地区',
  riskMapTitle: '风险地区所在市州',
  riskNone: '当前无中高风险地区',
  level: '等级',
  area: '地区',
  since: '起始时间',
  reason: '依据',
  levels: { high: '高风险', medium: '中风险', low: '低风险' },
  ruleSet: '划分规则',
};

const en: typeof zh = {
  title: 'Hunan Joint Prevention and Control Command',
  subtitle: 'Situation overview',
  switchTo: '中文',
  persons: 'Registered persons',
  places: 'Places',
  presence: 'Presence records',
  cases: 'Cases',
  contacts: 'Contacts under management',
  mapTitle: 'Cases by city',
  city: 'City',
  loading: 'Loading…',
  failed: 'Could not load data: ',
  edition: 'Protocol edition',
  engine: 'Database',
  docs: 'API docs',
  riskTitle: 'Medium- and high-risk areas',
  riskMapTitle: 'Cities with risk areas',
  riskNone: 'No medium- or high-risk areas now',
  level: 'Level',
  area: 'Area',
  since: 'Since',
  reason: 'Grounds',
  levels: { high: 'High', medium: 'Medium', low: 'Low' },
  ruleSet: 'Rule set',
};

export type Words = typeof zh;
export const WORDS: Record<Lang, Words> = { 'zh-CN': zh, en };

/** English names of the 14 cities, by code. */
export const CITY_EN: Record<string, string> = {
  '4301': 'Changsha', '4302': 'Zhuzhou', '4303': 'Xiangtan', '4304': 'Hengyang', '4305': 'Shaoyang', '4306': 'Yueyang', '4307': 'Changde',
  '4308': 'Zhangjiajie', '4309': 'Yiyang', '4310': 'Chenzhou', '4311': 'Yongzhou', '4312': 'Huaihua', '4313': 'Loudi', '4331': 'Xiangxi',
};
