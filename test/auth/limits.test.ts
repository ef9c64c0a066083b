// Attempt limits through the routes, counted in process.
import { limitsThroughTheRoutes } from './limitsScenario.js'

limitsThroughTheRoutes('memory')
