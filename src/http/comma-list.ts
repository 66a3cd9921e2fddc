/** A query parameter given as a comma list, repeated, or both (`region=330000,320000&region=CN`), as one array. */
export const commaList = ({ value }: { value: unknown }) =>
  typeof value === 'string' || Array.isArray(value)
    ? [value]
        .flat()
        .flatMap((item) => String(item).split(','))
        .map((item) => item.trim())
        .filter(Boolean)
    : value;
