export { barChartsSvg } from './svg-chart';
