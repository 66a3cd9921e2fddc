/** A profile's record beside its figures: the region, the topics, its programmes and its pilot-zone record. No row: $1 is not a region code. */
export const PROFILE_RECORD_SQL = `
  SELECT json_build_object('code', r.code, 'nameZh', r.name_zh, 'nameEn', r.name_en, 'level', r.level, 'parentCode', r.parent_code) AS region,
         (SELECT json_agg(json_build_object('code', t.code, 'nameZh', t.name_zh, 'nameEn', t.name_en) ORDER BY t.code) FROM topics t) AS topics,
         COALESCE((SELECT json_agg(json_build_object('id', p.id, 'nameZh', p.name_zh, 'nameEn', p.name_en, 'kind', p.kind) ORDER BY p.id)
                     FROM programs p WHERE p.region_code = r.code), '[]') AS programs,
         (SELECT json_build_object('nameZh', z.name_zh, 'nameEn', z.name_en, 'approvalYear', z.approval_year, 'batch', z.batch, 'planDocument', z.plan_document,
                   'distinctions', COALESCE((SELECT json_agg(json_build_object('textZh', d.text_zh, 'textEn', d.text_en, 'quote', d.quote) ORDER BY d.id)
                                               FROM pilot_zone_distinctions d WHERE d.region_code = z.region_code), '[]'))
            FROM pilot_zones z WHERE z.region_code = r.code) AS "pilotZone"
    FROM regions r WHERE r.code = $1`;
