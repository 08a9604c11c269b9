/**
 * The V2 health routes answer a boolean through the status code: "A 200 status code indicates true and a
 * 4xx status code indicates false" (KServe's V2 protocol, Health). 400 is what Triton answers for false;
 * Kubernetes probes count any 4xx as a failure. The JSON body ({"live"|"ready": bool}, as the Open
 * Inference Protocol shows) is for people; clients go by the status.
 */
export const V2_FALSE_STATUS = 400;
