export { freePort } from '../../infra/free-port';
