export const weight = 3;
