// Attempt limits through the routes, counted in Redis (REDIS_URL, else redis://127.0.0.1:6379).
import { limitsThroughTheRoutes } from './limitsScenario.js'

limitsThroughTheRoutes('redis')
