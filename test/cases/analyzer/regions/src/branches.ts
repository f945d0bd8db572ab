/** @stopline entry edge */
export function classify(n: number): string {
  let label = 'none';
  if (n > 10) {
    label = 'big';
  } else {
    label = 'small';
  }
  if (n === 1) label = 'one';
  else if (n === 2) label = 'two';
  else label = 'many';
  switch (label) {
    case 'one':
      label += '!';
      break;
    case 'two':
    case 'many':
      label += '?';
      break;
    default:
      label = '-';
  }
  {
    const size = label.length;
    label = `${label}${size}`;
  }
  return label;
}
