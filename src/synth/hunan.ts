/**
 * Facts about Hunan the generators use: population of each prefecture-level city at the 2020 census (7th national
 * census, Hunan statistics bureau bulletin), household sizes, and the places of the July 2021 Zhangjiajie cluster.
 */

/** Resident population by city code at the 2020 census. Total 66,444,864. */
export const CENSUS_2020: Record<string, number> = {
  '4301': 10_047_914, '4302': 3_902_738, '4303': 2_726_181, '4304': 6_645_243, '4305': 6_563_520, '4306': 5_051_922, '4307': 5_279_102,
  '4308': 1_517_027, '4309': 3_851_564, '4310': 4_667_134, '4311': 5_289_824, '4312': 4_587_594, '4313': 3_826_996, '4331': 2_488_105,
};

/** Share of households by size 1, 2, 3, 4, 5+ (2020 census, Hunan; rounded). */
export const HOUSEHOLD_SIZE_SHARES = [0.25, 0.3, 0.21, 0.13, 0.11];

export const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万钱覃武戴孔汤庞樊兰殷施陶洪翟安颜倪严牛温芦季俞章鲁葛伍申尤毕聂柴焦向柳'];
export const GIVEN_CHARS = [...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉红建波宁琴云飞鑫婷雪梅浩宇欣怡子轩涵博文晨阳佳豪思雨俊凯'];

/** Zhangjiajie (4308): where the July 2021 cluster began, at a theatre show attended by travellers. */
export const OUTBREAK_CITY = '4308';
