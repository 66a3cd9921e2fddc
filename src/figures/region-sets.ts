export interface RegionSetDefinition {
  id: string;
  nameZh: string;
  nameEn: string;
  description: string;
  /** Parameterless SQL returning region codes. */
  members: string;
}

/** Peer groups. Membership is a query over the data, so a sync that adds a pilot zone or a province's figures updates the sets. */
export const REGION_SETS: RegionSetDefinition[] = [
  {
    id: 'pilot-zones',
    nameZh: '科创金融改革试验区',
    nameEn: 'Sci-tech finance reform pilot zones',
    description: 'The regions hosting a sci-tech finance reform pilot zone (see /v1/pilot-zones).',
    members: `SELECT region_code FROM pilot_zones ORDER BY region_code`,
  },
  {
    id: 'yangtze-river-delta',
    nameZh: '长三角三省一市',
    nameEn: 'Yangtze River Delta',
    description: 'Shanghai, Jiangsu, Zhejiang and Anhui: the provincial-level regions of the Yangtze River Delta integration plan.',
    members: `SELECT code FROM regions WHERE code IN ('310000', '320000', '330000', '340000') ORDER BY code`,
  },
  {
    id: 'provinces',
    nameZh: '有数据的省级行政区',
    nameEn: 'Provinces with figures',
    description: "Every province-level region with at least one regional total (a figure that is not a single bank's or programme's own).",
    members: `SELECT r.code FROM regions r WHERE r.level = 'province' AND EXISTS (SELECT 1 FROM latest_observations o WHERE o.region_code = r.code AND o.reporter IS NULL) ORDER BY r.code`,
  },
];

export const REGION_SET_IDS = REGION_SETS.map((set) => set.id);
